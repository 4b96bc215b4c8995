//! The plate object's SQLite: the schema and every statement it runs, nothing else.
//!
//! Each method is synchronous. A step of the object calls several of them with no `await` in
//! between, so they commit together (a Durable Object's implicit write coalescing); a command's
//! rows are also written inside one `transactionSync` ([`Storage::save_command`]), so a failed
//! statement half-way leaves none of them.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use shared::api::ops::IssuedCoupon;
use shared::coupon::VehicleCoupon;
use shared::ids::{FacilityId, OrderId, UserId};
use shared::order::{Order, Payment};
use shared::timestamp::Timestamp;
use shared::vehicle::{Event, Vehicle};
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use worker::{SqlStorage, SqlStorageValue};

use crate::error::{AppError, AppResult};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS aggregate (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (seq INTEGER PRIMARY KEY, facility_id TEXT NOT NULL, open INTEGER NOT NULL, pending INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coupons (seq INTEGER PRIMARY KEY, issued_by TEXT NOT NULL, issued_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gateway_events (facility_id TEXT NOT NULL, event_id TEXT NOT NULL, at INTEGER NOT NULL, response TEXT NOT NULL, PRIMARY KEY (facility_id, event_id));
CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- An exit finds the open stay, the alarm the pending payments, among years of a plate's orders.
CREATE INDEX IF NOT EXISTS orders_open ON orders (facility_id, seq) WHERE open = 1;
CREATE INDEX IF NOT EXISTS orders_pending ON orders (seq) WHERE pending = 1;
";

/// A per-plate counter; each numbers one kind of thing from 1.
#[derive(Debug, Clone, Copy)]
pub enum Counter {
    /// Orders (the `seq` of an [`OrderId`]).
    Order,
    /// Vehicle coupons.
    Coupon,
    /// Outgoing messages (unique ids across deliveries).
    Message,
    /// Payment tries (the wallet reference names the try).
    Payment,
}

/// A small value the object keeps beside its tables.
#[derive(Debug, Clone)]
enum Meta {
    /// The last number handed out by a counter.
    Counter(Counter),
    /// Who paid last (SPEC §7: with no owner, vehicle notices go to the latest payer).
    LatestPayer,
    /// 无感支付 is still owed for the order with this `seq` (the alarm resumes it).
    AutopayOwed(u64),
    /// Until when the WeChat Pay order of payment try `attempt` may be paid (unix ms).
    WechatTry(u64),
    /// The 支付分停车 id of the stay with this order `seq` (registered at its entry).
    ParkingId(u64),
    /// The masked phone of payment try `attempt`'s payer (for the owner's 代缴 message).
    PayerPhone(u64),
}

/// The key prefix of [`Meta::AutopayOwed`].
const AUTOPAY_OWED: &str = "autopay:";

impl Meta {
    /// The stored key (these strings are in stored objects: never rename them).
    fn key(&self) -> String {
        match self {
            Self::Counter(Counter::Order) => "order_seq".to_owned(),
            Self::Counter(Counter::Coupon) => "coupon_seq".to_owned(),
            Self::Counter(Counter::Message) => "message_seq".to_owned(),
            Self::Counter(Counter::Payment) => "payment_seq".to_owned(),
            Self::LatestPayer => "latest_payer".to_owned(),
            Self::AutopayOwed(seq) => format!("{AUTOPAY_OWED}{seq}"),
            Self::WechatTry(attempt) => format!("wechat-try:{attempt}"),
            Self::ParkingId(seq) => format!("wechat-parking:{seq}"),
            Self::PayerPhone(attempt) => format!("payer-phone:{attempt}"),
        }
    }
}

/// The plate object's SQLite storage.
#[derive(Clone)]
pub struct Storage {
    sql: SqlStorage,
    /// The JavaScript storage object, for `transactionSync` (not bound by the `worker` crate).
    raw: JsValue,
}

#[derive(Deserialize)]
struct BodyRow {
    body: String,
}

fn decode<T: DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(AppError::internal)
}

fn encode<T: Serialize>(value: &T) -> AppResult<SqlStorageValue> {
    Ok(serde_json::to_string(value)
        .map_err(AppError::internal)?
        .into())
}

fn seq(n: u64) -> SqlStorageValue {
    i64::try_from(n).unwrap_or(i64::MAX).into()
}

impl Storage {
    /// Opens the storage, creating the tables the first time (idempotent, runs on every wake).
    pub fn open(storage: &worker::Storage) -> Self {
        let sql = storage.sql();
        if let Err(err) = sql.exec(SCHEMA, None) {
            worker::console_error!("vehicle object schema: {err}");
        }
        let raw: &JsValue = storage.as_raw().as_ref();
        Self {
            sql,
            raw: raw.clone(),
        }
    }

    /// Runs `write` inside the storage's `transactionSync`: its statements commit together, or
    /// (when it fails) none of them does.
    fn atomically(&self, write: impl FnOnce(&Self) -> AppResult<()> + 'static) -> AppResult<()> {
        let store = self.clone();
        let failure: Rc<RefCell<Option<AppError>>> = Rc::default();
        let failed = Rc::clone(&failure);
        let callback = Closure::once(move || -> Result<(), JsValue> {
            write(&store).map_err(|err| {
                let detail = JsValue::from_str(&format!("{err:?}"));
                *failed.borrow_mut() = Some(err);
                detail // thrown: the transaction rolls back
            })
        });
        let transaction_sync: Function = Reflect::get(&self.raw, &"transactionSync".into())
            .and_then(|f| f.dyn_into())
            .map_err(|e| AppError::internal(format!("transactionSync: {e:?}")))?;
        match transaction_sync.call1(&self.raw, callback.as_ref().unchecked_ref()) {
            Ok(_) => Ok(()),
            Err(thrown) => Err(failure
                .take()
                .unwrap_or_else(|| AppError::internal(format!("transaction: {thrown:?}")))),
        }
    }

    fn bodies<T: DeserializeOwned>(
        &self,
        query: &str,
        params: Vec<SqlStorageValue>,
    ) -> AppResult<Vec<T>> {
        let rows: Vec<BodyRow> = self.sql.exec(query, params)?.to_array()?;
        rows.iter().map(|r| decode(&r.body)).collect()
    }

    // ---- the vehicle ----------------------------------------------------------------------

    /// The stored aggregate, if this plate was ever commanded.
    pub fn aggregate(&self) -> AppResult<Option<Vehicle>> {
        Ok(self
            .bodies("SELECT body FROM aggregate WHERE id = 1", Vec::new())?
            .into_iter()
            .next())
    }

    /// Appends a command's events to the log and stores the aggregate after them, in one
    /// transaction.
    pub fn save_command(&self, events: Vec<Event>, vehicle: &Vehicle) -> AppResult<()> {
        let aggregate = encode(vehicle)?;
        self.atomically(move |store| {
            for event in &events {
                store.sql.exec(
                    "INSERT INTO events (seq, at, actor, body) VALUES (?, ?, ?, ?)",
                    vec![
                        seq(event.seq),
                        event.at.unix_millis().into(),
                        encode(&event.actor)?,
                        encode(event)?,
                    ],
                )?;
            }
            store.sql.exec(
                "INSERT INTO aggregate (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                vec![aggregate],
            )?;
            Ok(())
        })
    }

    /// The latest `limit` events, refusals included (工作台 shows who was refused and why),
    /// oldest first.
    pub fn history(&self, limit: i64) -> AppResult<Vec<Event>> {
        let mut events: Vec<Event> = self.bodies(
            "SELECT body FROM events ORDER BY seq DESC LIMIT ?",
            vec![limit.into()],
        )?;
        events.reverse();
        Ok(events)
    }

    // ---- orders ---------------------------------------------------------------------------

    /// Inserts or replaces an order.
    pub fn save_order(&self, order: &Order) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO orders (seq, facility_id, open, pending, body) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (seq) DO UPDATE SET open = excluded.open, pending = excluded.pending, body = excluded.body",
            vec![
                seq(order.id.seq()),
                order.facility.id.as_str().into(),
                i64::from(order.is_open()).into(),
                i64::from(matches!(order.payment, Payment::Pending { .. })).into(),
                encode(order)?,
            ],
        )?;
        Ok(())
    }

    /// The order `id`, if this plate has it.
    pub fn order(&self, id: &OrderId) -> AppResult<Option<Order>> {
        Ok(self
            .bodies("SELECT body FROM orders WHERE seq = ?", vec![seq(id.seq())])?
            .into_iter()
            .next())
    }

    /// The stay still open at `facility` (the latest, if a car park missed an exit).
    pub fn open_order_at(&self, facility: &FacilityId) -> AppResult<Option<Order>> {
        Ok(self
            .bodies(
                "SELECT body FROM orders WHERE open = 1 AND facility_id = ? ORDER BY seq DESC LIMIT 1",
                vec![facility.as_str().into()],
            )?
            .into_iter()
            .next())
    }

    /// The latest `limit` orders, newest first.
    pub fn latest_orders(&self, limit: i64) -> AppResult<Vec<Order>> {
        self.bodies(
            "SELECT body FROM orders ORDER BY seq DESC LIMIT ?",
            vec![limit.into()],
        )
    }

    /// The latest `limit` closed orders, newest first.
    pub fn latest_closed_orders(&self, limit: i64) -> AppResult<Vec<Order>> {
        self.bodies(
            "SELECT body FROM orders WHERE open = 0 ORDER BY seq DESC LIMIT ?",
            vec![limit.into()],
        )
    }

    /// Every closed order (rebuild of the payer index).
    pub fn closed_orders(&self) -> AppResult<Vec<Order>> {
        self.bodies("SELECT body FROM orders WHERE open = 0", Vec::new())
    }

    /// Orders with a payment try under way.
    pub fn pending_orders(&self) -> AppResult<Vec<Order>> {
        self.bodies("SELECT body FROM orders WHERE pending = 1", Vec::new())
    }

    // ---- coupons --------------------------------------------------------------------------

    /// Every coupon of the plate, oldest first.
    pub fn coupons(&self) -> AppResult<Vec<VehicleCoupon>> {
        self.bodies("SELECT body FROM coupons ORDER BY seq", Vec::new())
    }

    /// Every coupon with its issuer, oldest first.
    pub fn issued_coupons(&self) -> AppResult<Vec<IssuedCoupon>> {
        #[derive(Deserialize)]
        struct Row {
            issued_by: String,
            issued_at: i64,
            body: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT issued_by, issued_at, body FROM coupons ORDER BY seq",
                None,
            )?
            .to_array()?;
        rows.into_iter()
            .map(|row| {
                Ok(IssuedCoupon {
                    coupon: decode(&row.body)?,
                    issued_by: UserId::new(row.issued_by),
                    issued_at: Timestamp::from_unix_millis(row.issued_at),
                })
            })
            .collect()
    }

    /// Stores a new coupon with its issuer.
    pub fn insert_coupon(
        &self,
        coupon: &VehicleCoupon,
        issued_by: &UserId,
        at: Timestamp,
    ) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO coupons (seq, issued_by, issued_at, body) VALUES (?, ?, ?, ?)",
            vec![
                seq(coupon.id.seq()),
                issued_by.as_str().into(),
                at.unix_millis().into(),
                encode(coupon)?,
            ],
        )?;
        Ok(())
    }

    /// Replaces a stored coupon (used or released).
    pub fn save_coupon(&self, coupon: &VehicleCoupon) -> AppResult<()> {
        self.sql.exec(
            "UPDATE coupons SET body = ? WHERE seq = ?",
            vec![encode(coupon)?, seq(coupon.id.seq())],
        )?;
        Ok(())
    }

    // ---- car-park events ------------------------------------------------------------------

    /// The answer recorded for a facility's event, if it came before.
    pub fn recorded_event<T: DeserializeOwned>(
        &self,
        facility: &FacilityId,
        event_id: &str,
    ) -> AppResult<Option<T>> {
        #[derive(Deserialize)]
        struct Row {
            response: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT response FROM gateway_events WHERE facility_id = ? AND event_id = ?",
                vec![facility.as_str().into(), event_id.into()],
            )?
            .to_array()?;
        rows.first().map(|r| decode(&r.response)).transpose()
    }

    /// Remembers a facility's event with its answer.
    pub fn record_event<T: Serialize>(
        &self,
        facility: &FacilityId,
        event_id: &str,
        at: Timestamp,
        response: &T,
    ) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO gateway_events (facility_id, event_id, at, response) VALUES (?, ?, ?, ?)",
            vec![
                facility.as_str().into(),
                event_id.into(),
                at.unix_millis().into(),
                encode(response)?,
            ],
        )?;
        Ok(())
    }

    // ---- the outbox -----------------------------------------------------------------------

    /// Queues an item; an item with the same id replaces the queued one.
    pub fn queue<T: Serialize>(&self, id: &str, item: &T) -> AppResult<()> {
        self.sql.exec(
            "INSERT OR REPLACE INTO outbox (id, body) VALUES (?, ?)",
            vec![id.into(), encode(item)?],
        )?;
        Ok(())
    }

    /// Everything queued, with its id.
    pub fn queued<T: DeserializeOwned>(&self) -> AppResult<Vec<(String, T)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            body: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT id, body FROM outbox", None)?
            .to_array()?;
        rows.into_iter()
            .map(|row| Ok((row.id, decode(&row.body)?)))
            .collect()
    }

    /// Removes delivered items.
    pub fn dequeue(&self, ids: &[String]) -> AppResult<()> {
        for id in ids {
            self.sql
                .exec("DELETE FROM outbox WHERE id = ?", vec![id.as_str().into()])?;
        }
        Ok(())
    }

    // ---- small values ---------------------------------------------------------------------

    fn meta(&self, meta: &Meta) -> AppResult<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            value: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT value FROM meta WHERE key = ?",
                vec![meta.key().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    fn set_meta(&self, meta: &Meta, value: &str) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![meta.key().into(), value.into()],
        )?;
        Ok(())
    }

    /// The next number of `counter`, from 1.
    pub fn next(&self, counter: Counter) -> AppResult<u64> {
        let meta = Meta::Counter(counter);
        let next = self
            .meta(&meta)?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        self.set_meta(&meta, &next.to_string())?;
        Ok(next)
    }

    /// Who paid last, if anyone.
    pub fn latest_payer(&self) -> AppResult<Option<UserId>> {
        Ok(self.meta(&Meta::LatestPayer)?.map(UserId::new))
    }

    /// Remembers who paid last.
    pub fn set_latest_payer(&self, payer: &UserId) -> AppResult<()> {
        self.set_meta(&Meta::LatestPayer, payer.as_str())
    }

    /// Remembers until when try `attempt`'s WeChat Pay order may be paid (`None`: forget it).
    pub fn set_wechat_try(&self, attempt: u64, until: Option<i64>) -> AppResult<()> {
        let meta = Meta::WechatTry(attempt);
        match until {
            Some(until) => self.set_meta(&meta, &until.to_string()),
            None => {
                self.sql
                    .exec("DELETE FROM meta WHERE key = ?", vec![meta.key().into()])?;
                Ok(())
            }
        }
    }

    /// Until when try `attempt`'s WeChat Pay order may be paid, if it has one.
    pub fn wechat_try(&self, attempt: u64) -> AppResult<Option<i64>> {
        Ok(self
            .meta(&Meta::WechatTry(attempt))?
            .and_then(|v| v.parse().ok()))
    }

    /// Remembers the masked phone of try `attempt`'s payer.
    pub fn set_payer_phone(&self, attempt: u64, masked: &str) -> AppResult<()> {
        self.set_meta(&Meta::PayerPhone(attempt), masked)
    }

    /// The masked phone of try `attempt`'s payer, if it was given.
    pub fn payer_phone(&self, attempt: u64) -> AppResult<Option<String>> {
        self.meta(&Meta::PayerPhone(attempt))
    }

    /// Remembers the 支付分停车 id of the stay with order `seq`.
    pub fn set_parking_id(&self, seq: u64, id: &str) -> AppResult<()> {
        self.set_meta(&Meta::ParkingId(seq), id)
    }

    /// The 支付分停车 id of the stay with order `seq`, if it was registered.
    pub fn parking_id(&self, seq: u64) -> AppResult<Option<String>> {
        self.meta(&Meta::ParkingId(seq))
    }

    /// Marks 无感支付 as owed (`true`) or done (`false`) for the order.
    pub fn set_autopay_owed(&self, order: &OrderId, owed: bool) -> AppResult<()> {
        let meta = Meta::AutopayOwed(order.seq());
        if owed {
            self.set_meta(&meta, "1")
        } else {
            self.sql
                .exec("DELETE FROM meta WHERE key = ?", vec![meta.key().into()])?;
            Ok(())
        }
    }

    /// The `seq` of every order 无感支付 is still owed for.
    pub fn autopay_owed(&self) -> AppResult<Vec<u64>> {
        #[derive(Deserialize)]
        struct Row {
            key: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT key FROM meta WHERE substr(key, 1, length(?1)) = ?1",
                vec![AUTOPAY_OWED.into()],
            )?
            .to_array()?;
        Ok(rows
            .iter()
            .filter_map(|r| r.key.strip_prefix(AUTOPAY_OWED)?.parse().ok())
            .collect())
    }
}
