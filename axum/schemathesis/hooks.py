"""Schemathesis hooks for the reference server: the two JSON-patch media types are
JSON on the wire (Schemathesis knows no serializer for them)."""
import schemathesis

schemathesis.serializer.alias(
    [
        "application/openstack-images-v2.1-json-patch",
        "application/openstack-images-v2.0-json-patch",
    ],
    "application/json",
)
