//! A reference server on the extractors: the image calls on an in-memory store, every
//! answer by the crate's one road per call. `examples/server.rs` runs it; the tests
//! drive its [`router`] over loopback.
//!
//! | call | answer |
//! |---|---|
//! | `POST /v2/images` | `answer()`: 201 and the record (stored), or the report |
//! | `GET /v2/images/{id}` | 200 and the record; 404 (`update::answer_image_not_found`) when unknown |
//! | `PATCH /v2/images/{id}` | `update::answer_patch`: 200 and the updated image (stored), or the report |
//! | `DELETE /v2/images/{id}` | 204; the crate's 404 when unknown |
//! | `PUT`, `DELETE /v2/images/{id}/tags/{tag}` | `update::answer_add_tag` / `answer_remove_tag`: 204, or the report |
//! | `GET /openapi.json` | `schema::openapi` under the server's rules |
//!
//! One image's updates are serialised (a lock per image, held from the read to the
//! write), so that concurrent PATCHes of one image never lose an update; calls on
//! different images run in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{FromRef, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use ims_image_meta::report::Style;
use ims_image_meta::{answer, schema, update, Answer, Context, Record, Timestamp};

use crate::{CreateBody, Ims, ImsResponse, Negotiated, PatchBody};

#[path = "../../src/cli/uuid.rs"]
mod uuid;

/// The time of a call: the system clock, or a fixed one (tests).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The server's state: the rules, the store, the owner of the images it creates and
/// its clock.
#[derive(Clone)]
pub struct AppState {
    ims: Ims,
    store: Store,
    owner: String,
    clock: Clock,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("ims", &self.ims)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

impl FromRef<AppState> for Ims {
    fn from_ref(s: &AppState) -> Ims {
        s.ims.clone()
    }
}

impl AppState {
    /// A server under `ims`, creating images owned by `owner`, on the system clock.
    pub fn new(ims: Ims, owner: impl Into<String>) -> AppState {
        let clock: Clock = Arc::new(|| {
            Timestamp::from_system_time(std::time::SystemTime::now())
                .unwrap_or_else(|_| Timestamp::from_unix(0).expect("the epoch is a timestamp"))
        });
        AppState {
            ims,
            store: Store::default(),
            owner: owner.into(),
            clock,
        }
    }

    /// The same on another clock.
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// The store (to seed images, or read them back).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The images, by id, each behind its own lock.
#[derive(Debug, Clone, Default)]
pub struct Store {
    images: Arc<Mutex<HashMap<String, Arc<Mutex<Record>>>>>,
}

impl Store {
    /// Keeps `record` under its id (replacing one there).
    pub fn insert(&self, record: Record) {
        let mut map = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(record.id.clone(), Arc::new(Mutex::new(record)));
    }

    /// The image `id` as it is now.
    pub fn get(&self, id: &str) -> Option<Record> {
        let image = self.image(id)?;
        let record = image.lock().unwrap_or_else(PoisonError::into_inner);
        Some(record.clone())
    }

    fn image(&self, id: &str) -> Option<Arc<Mutex<Record>>> {
        let map = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(id).cloned()
    }

    fn remove(&self, id: &str) -> bool {
        let mut map = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(id).is_some()
    }

    /// Runs `call` on image `id` under its lock, storing the image it gives back;
    /// `None` when there is no such image.
    fn update(&self, id: &str, call: impl FnOnce(&Record) -> Answer) -> Option<Answer> {
        let image = self.image(id)?;
        let mut record = image.lock().unwrap_or_else(PoisonError::into_inner);
        let answer = call(&record);
        if let Some(updated) = answer.updated_record() {
            *record = updated.clone();
        }
        Some(answer)
    }
}

/// Serves `app` on a free loopback port from a thread of its own, on a runtime of its
/// own, until the process ends; its address. For a test or a tool that wants the
/// reference server (or any router) in-process with a blocking client: this crate's
/// tests and `ims-conform`'s.
///
/// # Errors
///
/// The runtime's or the socket's, when either cannot be made.
pub fn serve_on_loopback(app: Router) -> std::io::Result<std::net::SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build();
        let rt = match rt {
            Ok(rt) => rt,
            Err(e) => return drop(tx.send(Err(e))),
        };
        rt.block_on(async move {
            let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                Ok(l) => l,
                Err(e) => return drop(tx.send(Err(e))),
            };
            let addr = listener.local_addr();
            let bound = addr.is_ok();
            drop(tx.send(addr));
            if bound {
                // A served connection's error ends only that connection; `serve`
                // returns only when the listener fails.
                drop(axum::serve(listener, app).await);
            }
        });
    });
    rx.recv().map_err(std::io::Error::other)?
}

/// The routes of the table above, on `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v2/images", axum::routing::post(create))
        .route(
            "/v2/images/{id}",
            get(read).patch(patch).delete(delete_image),
        )
        .route(
            "/v2/images/{id}/tags/{tag}",
            put(add_tag).delete(remove_tag),
        )
        .route("/openapi.json", get(openapi))
        .with_state(state)
}

async fn create(State(s): State<AppState>, body: CreateBody) -> Response {
    let ctx = match Context::new(uuid::random_v4(), &s.owner, (s.clock)()) {
        Ok(ctx) => ctx,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let a = answer(&body.bytes, s.ims.rules(), &ctx, body.style);
    if a.is_accepted() {
        // Stored as answered (read back from the bytes the road wrote).
        if let Ok(record) = serde_json::from_slice::<Record>(a.body()) {
            s.store.insert(record);
        }
    }
    ImsResponse(a).into_response()
}

/// The crate's 404 for an image the store does not have, in the style asked for.
fn no_image(s: &AppState, id: &str, style: Style) -> Response {
    ImsResponse(update::answer_image_not_found(id, s.ims.rules(), style)).into_response()
}

async fn read(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Negotiated(style): Negotiated,
) -> Response {
    match s.store.get(&id) {
        Some(record) => {
            let mut out = Vec::new();
            record.write_json(&mut out);
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                out,
            )
                .into_response()
        }
        None => no_image(&s, &id, style),
    }
}

async fn patch(State(s): State<AppState>, Path(id): Path<String>, body: PatchBody) -> Response {
    let now = (s.clock)();
    let rules = s.ims.rules();
    let answer = s.store.update(&id, |image| {
        update::answer_patch(&body.media_type, &body.bytes, image, rules, now, body.style)
    });
    match answer {
        Some(a) => ImsResponse(a).into_response(),
        None => no_image(&s, &id, body.style),
    }
}

async fn delete_image(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Negotiated(style): Negotiated,
) -> Response {
    if s.store.remove(&id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        no_image(&s, &id, style)
    }
}

async fn add_tag(
    State(s): State<AppState>,
    Path((id, tag)): Path<(String, String)>,
    Negotiated(style): Negotiated,
) -> Response {
    tag_call(&s, &id, &tag, style, |t, i, r, n, st| {
        update::answer_add_tag(t, i, r, n, st)
    })
}

async fn remove_tag(
    State(s): State<AppState>,
    Path((id, tag)): Path<(String, String)>,
    Negotiated(style): Negotiated,
) -> Response {
    tag_call(&s, &id, &tag, style, |t, i, r, n, st| {
        update::answer_remove_tag(t, i, r, n, st)
    })
}

/// A tag call (`call` is the crate's answer for it) on image `id`, under its lock.
fn tag_call(
    s: &AppState,
    id: &str,
    tag: &str,
    style: Style,
    call: fn(&str, &Record, &ims_image_meta::Rules, Timestamp, Style) -> Answer,
) -> Response {
    let (now, rules) = ((s.clock)(), s.ims.rules());
    match s
        .store
        .update(id, |image| call(tag, image, rules, now, style))
    {
        Some(a) => ImsResponse(a).into_response(),
        None => no_image(s, id, style),
    }
}

async fn openapi(State(s): State<AppState>) -> Json<serde_json::Value> {
    Json(schema::openapi(s.ims.rules()))
}
