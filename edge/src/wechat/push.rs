//! Inbox messages → 公众号 template messages: for recipients with a bound openid, when the
//! deployment names a template for the message's kind. Called by a plate's outbox after the
//! messages reached the inbox, so a push never exists without its inbox record.

use std::collections::BTreeMap;

use shared::providers::wechat::{Field, TemplateMessage};
use shared::push::Push;
use worker::Env;

use crate::error::AppResult;
use crate::settings::PushSettings;
use crate::store::{self, messages::OutgoingMessage};
use crate::wechat_do;

/// Hands the pushes of `messages` to the push object (nothing when pushes are off).
pub async fn hand_over(env: &Env, messages: &[OutgoingMessage]) -> AppResult<()> {
    let Some(settings) = PushSettings::from_env(env) else {
        return Ok(());
    };
    let wanted: Vec<(&OutgoingMessage, &Push, &String)> = messages
        .iter()
        .filter_map(|m| {
            let push = m.push.as_ref()?;
            Some((m, push, settings.templates.get(&push.kind)?))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let users: Vec<_> = wanted.iter().map(|(m, _, _)| &m.user_id).collect();
    let openids = store::wechat::openids_of(&env.d1("DB")?, &users).await?;
    let out = wanted
        .into_iter()
        .filter_map(|(message, push, template_id)| {
            let (_, openid) = openids.iter().find(|(user, _)| *user == message.user_id)?;
            Some(TemplateMessage {
                touser: openid.clone(),
                template_id: template_id.clone(),
                url: format!("{}{}", settings.public_url, push.path),
                client_msg_id: message.id.to_string(),
                data: push
                    .fields()
                    .map(|(key, value)| {
                        (
                            key.to_owned(),
                            Field {
                                value: value.to_owned(),
                            },
                        )
                    })
                    .collect::<BTreeMap<_, _>>(),
            })
        })
        .collect();
    wechat_do::enqueue(env, out).await
}
