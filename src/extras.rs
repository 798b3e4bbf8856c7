//! What the request body, the record and the builder write alike: the known extension
//! properties and the custom properties, at the top level. A leaf: it knows no type of
//! theirs.

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::values::FirmwareType;

/// The known extension properties (when given) and the custom properties, at the top
/// level: shared by the request body and the record.
pub(crate) fn serialize_extras<M: SerializeMap, K: Serialize, V: Serialize>(
    m: &mut M,
    description: Option<&str>,
    firmware: Option<FirmwareType>,
    os_hidden: Option<bool>,
    properties: &[(K, V)],
) -> Result<(), M::Error> {
    if let Some(d) = description {
        m.serialize_entry("__description", d)?;
    }
    if let Some(f) = firmware {
        m.serialize_entry("hw_firmware_type", &f)?;
    }
    if let Some(h) = os_hidden {
        m.serialize_entry("os_hidden", &h)?;
    }
    for (k, v) in properties {
        m.serialize_entry(k, v)?;
    }
    Ok(())
}
