//! What the violations of an update say (SPEC §8) that create's do not: the media type,
//! the shape of the patch document and of its operations, and the state of the image.
//! A fault of a value is create's own [`Detail`], moved to the patch.

use super::params::{ParamOut, Text};
use super::*;
use crate::shape::JsonType;

/// The two media types a PATCH takes (`Accept-Patch`), v2.1 first.
pub(crate) const PATCH_MEDIA_TYPES: [&str; 2] = [
    "application/openstack-images-v2.1-json-patch",
    "application/openstack-images-v2.0-json-patch",
];

/// The operations a patch may name.
pub(crate) const OPS: [&str; 3] = ["add", "remove", "replace"];

/// A fault of an update that create has no word for. Where the message names the
/// operation, it is the violation's subject ([`Subject::Op`]).
#[derive(Debug, Clone)]
pub(crate) enum PatchFault {
    /// `unsupported_media_type`: the media type sent (an excerpt, unless input is not
    /// quoted).
    MediaType(Option<Short>),
    /// `not_an_array`: what the document is instead.
    NotArray(JsonType),
    /// `wrong_type` at `/i`: the element is not an object.
    OpNotObject(JsonType),
    /// `wrong_type` at `/i/op` or at the path's member: a member that must be a string.
    /// The member is the subject's part ([`Part`]).
    MemberType { found: JsonType },
    /// `required`: the member an operation lacks (`op`, `path`, `value`, or in v2.0
    /// the op member, named `add`).
    Required { member: &'static str },
    /// `bad_format` at `/i`: two op members in one v2.0 operation.
    TwoOps,
    /// `bad_format` at the path: not a pointer of exactly one token.
    BadPath(Option<Short>),
    /// `not_allowed` at `/i/op`: not `add`, `remove` or `replace`.
    OpNotAllowed(Option<Short>),
    /// `not_updatable` (the key is the subject's): changed, or removed (`true`).
    NotUpdatable { remove: bool },
    /// `conflict` (the key is the subject's): `replace`, or `remove` (`true`), of an
    /// attribute the image does not have.
    Conflict { remove: bool },
    /// `not_found`: the tag the image does not have.
    TagNotFound(Option<Short>),
    /// `not_found`: no image has this id (a server's store).
    ImageNotFound(Option<Short>),
}

/// The index of the operation a violation is about (nothing when it is not about one).
fn op_index(who: &Subject) -> String {
    match who {
        Subject::Op(i, _) => i.to_string(),
        _ => String::new(),
    }
}

/// The member of an operation a violation is at (`op`, `path`, …).
fn member(who: &Subject) -> &'static str {
    match who {
        Subject::Op(_, part) => part.member(),
        _ => "",
    }
}

/// `got` quoted after `pre` (` 'x'`, `, got 'x'`), or nothing when input is not quoted.
fn quoted(pre: &str, got: &Option<Short>) -> String {
    got.as_ref()
        .map(|g| format!("{pre}'{}'", g.as_str()))
        .unwrap_or_default()
}

fn op_name(remove: bool) -> &'static str {
    if remove {
        "remove"
    } else {
        "replace"
    }
}

impl PatchFault {
    pub(super) fn render_en(&self, who: &Subject) -> String {
        let i = op_index(who);
        match self {
            PatchFault::MediaType(got) => format!(
                "Unsupported media type{} for PATCH: the body must be '{}' or '{}'.",
                quoted(" ", got),
                PATCH_MEDIA_TYPES[0],
                PATCH_MEDIA_TYPES[1]
            ),
            PatchFault::NotArray(kind) => format!(
                "A PATCH body must be a JSON array of operations, found {}.",
                kind.en()
            ),
            PatchFault::OpNotObject(kind) => {
                format!("Operation {i} must be an object, found {}.", kind.en())
            }
            PatchFault::MemberType { found } => format!(
                "Member '{}' of operation {i} must be a string, found {}.",
                member(who),
                found.en()
            ),
            PatchFault::Required { member: "add" } => {
                format!("Operation {i} has none of the members 'add', 'remove', 'replace'.")
            }
            PatchFault::Required { member } => {
                format!("Operation {i} lacks the member '{member}', which it needs.")
            }
            PatchFault::TwoOps => format!(
                "Operation {i} has more than one of the members 'add', 'remove', 'replace'."
            ),
            PatchFault::BadPath(got) => format!(
                "The path of operation {i}{} must be a JSON Pointer to one attribute: '/' and \
                 one key, with '~' only as '~0' or '~1'.",
                quoted(" ", got)
            ),
            PatchFault::OpNotAllowed(got) => format!(
                "Member 'op' of operation {i} must be one of 'add', 'remove', 'replace'{}.",
                quoted(", got ", got)
            ),
            PatchFault::NotUpdatable { remove: false } => {
                format!("Attribute '{}' cannot be changed by this call.", Name(who))
            }
            PatchFault::NotUpdatable { remove: true } => {
                format!("Attribute '{}' cannot be removed.", Name(who))
            }
            PatchFault::Conflict { remove } => format!(
                "Attribute '{}' cannot be {}d: the image does not have it.",
                Name(who),
                op_name(*remove)
            ),
            PatchFault::TagNotFound(Some(tag)) => {
                format!("Tag '{}' not found on the image.", tag.as_str())
            }
            PatchFault::TagNotFound(None) => "Tag not found on the image.".to_owned(),
            PatchFault::ImageNotFound(Some(id)) => format!("No image with ID '{}'.", id.as_str()),
            PatchFault::ImageNotFound(None) => "No such image.".to_owned(),
        }
    }

    pub(super) fn render_zh(&self, who: &Subject) -> String {
        let i = op_index(who);
        match self {
            PatchFault::MediaType(got) => format!(
                "PATCH请求不支持媒体类型{}：请求体必须是'{}'或'{}'。",
                quoted("", got),
                PATCH_MEDIA_TYPES[0],
                PATCH_MEDIA_TYPES[1]
            ),
            PatchFault::NotArray(kind) => {
                format!("PATCH请求体必须是操作的JSON数组，实际为{}。", kind.zh())
            }
            PatchFault::OpNotObject(kind) => {
                format!("第{i}个操作必须是对象，实际为{}。", kind.zh())
            }
            PatchFault::MemberType { found } => format!(
                "第{i}个操作的成员'{}'必须是字符串，实际为{}。",
                member(who),
                found.zh()
            ),
            PatchFault::Required { member: "add" } => {
                format!("第{i}个操作缺少成员'add'、'remove'或'replace'。")
            }
            PatchFault::Required { member } => format!("第{i}个操作缺少必需的成员'{member}'。"),
            PatchFault::TwoOps => {
                format!("第{i}个操作只能有'add'、'remove'、'replace'中的一个成员。")
            }
            PatchFault::BadPath(got) => format!(
                "第{i}个操作的路径{}必须是指向一个属性的JSON Pointer：'/'加一个键，'~'只能写作'~0'或'~1'。",
                quoted("", got)
            ),
            PatchFault::OpNotAllowed(got) => format!(
                "第{i}个操作的成员'op'只能为add、remove、replace{}。",
                quoted("，实际为", got)
            ),
            PatchFault::NotUpdatable { remove: false } => {
                format!("属性'{}'不能通过此接口修改。", Name(who))
            }
            PatchFault::NotUpdatable { remove: true } => {
                format!("属性'{}'不能删除。", Name(who))
            }
            PatchFault::Conflict { remove } => format!(
                "镜像没有属性'{}'，无法{}。",
                Name(who),
                if *remove { "删除" } else { "替换" }
            ),
            PatchFault::TagNotFound(Some(tag)) => {
                format!("镜像没有标签'{}'。", tag.as_str())
            }
            PatchFault::TagNotFound(None) => "镜像没有该标签。".to_owned(),
            PatchFault::ImageNotFound(Some(id)) => format!("没有ID为'{}'的镜像。", id.as_str()),
            PatchFault::ImageNotFound(None) => "没有该镜像。".to_owned(),
        }
    }

    /// The `params` entries.
    pub(super) fn params(&self, who: &Subject, p: &mut impl ParamOut) {
        match self {
            PatchFault::MediaType(_) => p.known_list(k!("allowed"), PATCH_MEDIA_TYPES.into_iter()),
            PatchFault::NotArray(kind) => {
                p.known(k!("expected"), "array");
                p.known(k!("actual"), kind.param());
            }
            PatchFault::OpNotObject(kind) => {
                p.known(k!("expected"), "object");
                p.known(k!("actual"), kind.param());
            }
            PatchFault::MemberType { found, .. } => {
                p.known(k!("expected"), "string");
                p.known(k!("actual"), found.param());
            }
            PatchFault::Required { member } => p.known(k!("member"), member),
            PatchFault::TwoOps => p.known(k!("format"), "one_operation"),
            PatchFault::BadPath(_) => p.known(k!("format"), "json_pointer_one_token"),
            PatchFault::OpNotAllowed(_) => p.known_list(k!("allowed"), OPS.into_iter()),
            PatchFault::NotUpdatable { remove } => {
                p.text(k!("key"), Text::Name(who));
                p.known(k!("op"), if *remove { "remove" } else { "change" });
            }
            PatchFault::Conflict { remove } => {
                p.text(k!("key"), Text::Name(who));
                p.known(k!("op"), op_name(*remove));
            }
            PatchFault::TagNotFound(tag) => match tag {
                Some(t) => p.string(k!("tag"), t.as_str()),
                None => p.null(k!("tag")),
            },
            PatchFault::ImageNotFound(id) => match id {
                Some(t) => p.string(k!("image_id"), t.as_str()),
                None => p.null(k!("image_id")),
            },
        }
    }
}
