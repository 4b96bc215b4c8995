//! Every Chinese text of the product uses full-width punctuation (`，：？；！（）`): a sweep of
//! each string literal in shared's, the frontend's and the worker's sources (the catalogue, the
//! pages, the API's errors, their tests) and of the static pages.
//!
//! Literals of the worker's log macros are left out (English lines for programs that may name a
//! product, `resuming 无感支付: {err:?}`), and so are doc comments.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use shared::text::{full_width, half_width_in_chinese};
use syn::visit::{self, Visit};

/// The sources swept, from the workspace's root.
const SOURCES: [&str; 3] = ["shared/src", "frontend/src", "edge/src"];

/// Sources whose texts are examples of half-width marks inside Chinese, on purpose.
const EXAMPLES: [&str; 1] = ["shared/src/text.rs"];

/// The static pages swept, from the workspace's root.
const PAGES: [&str; 1] = ["frontend/static/index.html"];

/// Macros whose texts are logs, not product texts.
const LOG_MACROS: [&str; 5] = [
    "console_log",
    "console_warn",
    "console_error",
    "console_debug",
    "console_info",
];

/// One string literal: its line and its text.
type Text = (usize, String);

/// Collects the texts of a file: string literals in code, in macros (`format!`, `html!`) and in
/// attributes (`#[error("…")]`, `#[case("…")]`).
#[derive(Default)]
struct Texts(Vec<Text>);

impl Texts {
    fn tokens(&mut self, tokens: TokenStream) {
        let mut trees = tokens.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                // A doc comment in a macro's input: `#[doc = "…"]` (or `#![doc = "…"]`).
                TokenTree::Punct(hash) if hash.as_char() == '#' => {
                    trees.next_if(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '!'));
                    trees.next_if(is_doc);
                }
                TokenTree::Literal(literal) => {
                    if let syn::Lit::Str(text) = syn::Lit::new(literal) {
                        self.visit_lit_str(&text);
                    }
                }
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Ident(_) | TokenTree::Punct(_) => {}
            }
        }
    }
}

/// Whether `tree` is the bracketed part of a doc attribute, `[doc = "…"]`.
fn is_doc(tree: &TokenTree) -> bool {
    let TokenTree::Group(group) = tree else {
        return false;
    };
    group.delimiter() == Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc")
}

impl Visit<'_> for Texts {
    fn visit_lit_str(&mut self, text: &syn::LitStr) {
        self.0.push((text.span().start().line, text.value()));
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        if !name.is_some_and(|n| LOG_MACROS.contains(&n.as_str())) {
            self.tokens(mac.tokens.clone());
        }
    }

    fn visit_attribute(&mut self, attribute: &syn::Attribute) {
        match &attribute.meta {
            syn::Meta::NameValue(_) if attribute.path().is_ident("doc") => {}
            syn::Meta::List(list) => self.tokens(list.tokens.clone()),
            meta => visit::visit_meta(self, meta),
        }
    }
}

/// The texts of one Rust source file.
fn texts_of(source: &str) -> syn::Result<Vec<Text>> {
    let file = syn::parse_file(source)?;
    let mut texts = Texts::default();
    texts.visit_file(&file);
    Ok(texts.0)
}

/// `line: text (marks)` for each text that has half-width marks inside Chinese.
fn violations(texts: &[Text]) -> Vec<String> {
    texts
        .iter()
        .filter_map(|(line, text)| {
            let marks = half_width_in_chinese(text);
            let fixes: Vec<String> = marks
                .iter()
                .map(|(_, mark)| format!("{mark}→{}", full_width(*mark).unwrap_or(*mark)))
                .collect();
            (!marks.is_empty()).then(|| format!("{line}: {text:?} ({})", fixes.join(" ")))
        })
        .collect()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("shared/ is in the workspace")
        .to_path_buf()
}

/// The `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn chinese_texts_use_full_width_punctuation() {
    let root = root();
    let mut report = String::new();
    let mut swept = 0;
    for dir in SOURCES {
        for path in rust_files(&root.join(dir)) {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            if EXAMPLES.contains(&name.as_str()) {
                continue;
            }
            let source = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let texts = texts_of(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
            swept += texts.len();
            for violation in violations(&texts) {
                writeln!(report, "{name}:{violation}").unwrap();
            }
        }
    }
    for page in PAGES {
        let html = fs::read_to_string(root.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let lines: Vec<Text> = html
            .lines()
            .map(str::to_owned)
            .zip(1..)
            .map(|(t, n)| (n, t))
            .collect();
        swept += lines.len();
        for violation in violations(&lines) {
            writeln!(report, "{page}:{violation}").unwrap();
        }
    }
    // A sweep that read nothing would pass: it must have seen the catalogue and the pages.
    assert!(swept > 1000, "only {swept} texts found");
    assert!(
        report.is_empty(),
        "Chinese texts with half-width punctuation (write them full-width):\n{report}"
    );
}

#[test]
fn the_sweep_finds_texts_in_code_macros_and_attributes() {
    let source = r##"
        #[derive(thiserror::Error)]
        #[error("长度不对:应为7位")]
        struct E;
        const EMPTY: &str = "还没有车辆,添加一辆吧";
        fn page() -> Html {
            let reason = format!("认证未通过,原因:{reason}");
            html! { <p>{ "我是车主,我要申诉" }</p> }
        }
    "##;
    let found = violations(&texts_of(source).unwrap());
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].starts_with("3: \"长度不对:应为7位\""),
        "{found:#?}"
    );
    assert!(
        found[3].starts_with("8: \"我是车主,我要申诉\""),
        "{found:#?}"
    );
}

#[test]
fn the_sweep_leaves_logs_and_doc_comments() {
    let source = r##"
        /// 设置, 隐私设置 (the pages)
        fn resume() {
            string_id! {
                /// One message in one user's inbox (消息).
                MessageId
            }
            worker::console_error!("resuming 无感支付: {err:?}");
            console_log!("支付分停车 for {}: stay not registered", plate);
        }
    "##;
    assert_eq!(violations(&texts_of(source).unwrap()), Vec::<String>::new());
}
