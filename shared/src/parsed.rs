//! The text face of a parsed value ([`crate::Plate`], [`crate::Phone`]): shown, read and sent
//! as its normalised text, and read back only through its `parse`, so no path around the rules.

/// Implements `Display`, `FromStr`, `Serialize` and `Deserialize` for `$type`, whose normalised
/// text is the `String` field `$field` and whose one constructor is `parse(&str) ->
/// Result<Self, $error>`.
macro_rules! parsed_text {
    ($type:ty, $field:ident, $error:ty) => {
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.$field)
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.$field)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&text).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use parsed_text;
