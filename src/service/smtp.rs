//! The night-before list by e-mail (cargo feature `smtp`): one message per
//! association to its active members, the list in the body and as CSV.
//! `GIRO_SMTP_URL` (e.g. `smtps://user:password@mail.example.org`) and
//! `GIRO_SMTP_FROM` configure it.

use std::future::Future;
use std::pin::Pin;

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::night_before::{NightBeforeSender, SendError};
use crate::domain::night_before::NightBeforeList;

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("GIRO_SMTP_URL: {e}"))?
            .build();
        let from = from.parse().map_err(|e| format!("GIRO_SMTP_FROM: {e}"))?;
        Ok(Self { transport, from })
    }
}

/// The body: one line per ride, Italian first (the associations' language).
fn body(list: &NightBeforeList) -> String {
    let mut out = format!(
        "Corse del {} · {}\nRides of {}\n\n",
        list.date, list.organisation, list.date
    );
    for r in &list.rows {
        out.push_str(&format!(
            "{}–{}  {}  tel. {}  {} → {}\n",
            r.pickup.start,
            r.pickup.end,
            r.person,
            r.phone.as_deref().unwrap_or("-"),
            r.from,
            r.to
        ));
    }
    out
}

impl NightBeforeSender for SmtpSender {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn send<'a>(
        &'a self,
        list: &'a NightBeforeList,
        csv: &'a str,
        to: &'a [String],
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            if to.is_empty() {
                tracing::warn!(
                    organisation = list.organisation_id,
                    "no member to send the night-before list to"
                );
                return Ok(());
            }
            let mut m = Message::builder()
                .from(self.from.clone())
                .subject(format!("giro · {} · {}", list.date, list.organisation));
            for address in to {
                let mailbox: Mailbox = address
                    .parse()
                    .map_err(|e| SendError(format!("{address}: {e}")))?;
                m = m.bcc(mailbox);
            }
            let csv_type = ContentType::parse("text/csv; charset=utf-8")
                .map_err(|e| SendError(e.to_string()))?;
            let message = m
                .multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(body(list)))
                        .singlepart(
                            Attachment::new(format!("giro-{}.csv", list.date))
                                .body(csv.to_string(), csv_type),
                        ),
                )
                .map_err(|e| SendError(e.to_string()))?;
            self.transport
                .send(message)
                .await
                .map_err(|e| SendError(e.to_string()))?;
            Ok(())
        })
    }
}
