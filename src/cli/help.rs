//! The help texts: the top-level `--help` (every command) and each subcommand's own
//! (`SUBCOMMAND --help`), made of its lines of the top-level one.

/// The create command's usage lines (and `corpus`'s).
pub const USAGE: &str = "\
usage: ims-image-meta [OPTIONS] [FILE]...
       ims-image-meta --schema [request|record|patch|openapi]
       ims-image-meta corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]";

/// The create command's help (and `corpus`'s).
pub const HELP: &str = "\
Validate IMS `POST /v2/images` create bodies (Glance-compatible) and print, for each,
the 201 record the service would answer with, or the report of every violation.

Reads each FILE (stdin when there is none, or for `-`), at most the body cap + 1 byte
of it (a larger body is answered 413 without reading the rest), and applies the
contract's default rules (docs/contract.md).

Options:
  --id UUID                 image id of the record (default: a random v4 UUID)
  --owner ID                owner project id (default: b912fb4a4c464b568ecfca1071b21b10)
  --now UNIX_SECONDS        the record's creation time (default: the current time)
  --profile NAME            the rule set to start from: ims-2022 (the default, the
                            contract's page), huaweicloud or otc
  --rules FILE              a rule set from a JSON file: knobs by name, with a
                            \"profile\" to start from (see examples/rules/)
  --catalog FILE            the __os_version catalog to validate against, instead of
                            the built-in one: CSV (os_version,os_type,platform,os_bit)
                            or the JSON answer of GET /v1/cloudimages/os_version,
                            told apart by content
  --format glance|ims|problem
                            report shape: {\"status\", \"violations\"} (glance, the
                            default), the IMS {\"error\": {\"code\", \"message\"}}, or
                            RFC 9457 application/problem+json
  --lang en|zh-CN           the language of messages and warnings (default: en)
  --jsonl                   one compact JSON line per FILE, in order:
                            {\"file\", \"status\", \"record\", \"warnings\"} when accepted,
                            {\"file\", \"status\", \"report\"} when rejected,
                            {\"file\", \"error\"} when unreadable
  --schema [request|record|patch|openapi]
                            print the JSON Schema of the request body (the default),
                            of the 201 record, or of a v2.1 patch document (under
                            --profile / --rules), or the OpenAPI 3.1 document of
                            every call (openapi), and exit
  -h, --help                print this help and exit
  -V, --version             print the version and exit

An option's value may also be given as --option=value. `--` ends the options.

Subcommand (the first argument):
  corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]
                            write N bodies (default 1000, at most 100000) made by the
                            crate's kit from seed S (default 0) under the rule set, with
                            the verdict each must get: DIR/00000.json, …, one body per
                            file (the first ones break each violation code once);
                            DIR/manifest.jsonl, one line per body: {\"file\", \"status\",
                            \"violations\": [[pointer, code], …], \"what\"}; DIR/ims.dict,
                            a libFuzzer/AFL++ dictionary (keys, values, catalog rows,
                            limits' edges, escapes). The same arguments write the same
                            bytes. Exit 0, or 2 on bad usage or an unwritable DIR.

Output and exit status:
  accepted   exit 0; the record (JSON) on stdout; a `warning: …` line on stderr per
             default that may break later use (no name, no __os_version)
  rejected   exit 1; the report on stdout
  bad usage, unreadable FILE, bad catalog
             exit 2; the reason on stderr
  stdout closed early (`| head`)
             exit 141, quietly
  With several FILEs, each verdict is printed in turn and the exit status is the
  worst of them (2 > 1 > 0); warnings are then prefixed with the FILE.

Examples:
  ims-image-meta examples/sample-request.json
  echo '{\"min_disk\": 1, \"status\": \"active\"}' | ims-image-meta --format ims
  ims-image-meta --jsonl a.json b.json c.json
  ims-image-meta --catalog os_version.json --owner my-project body.json
  ims-image-meta --profile huaweicloud body.json
  ims-image-meta --format problem --lang zh-CN body.json
  ims-image-meta --rules examples/rules/dedicated-region.json body.json
  ims-image-meta --id=4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86 --now=1464853788 body.json
  ims-image-meta --schema record
  ims-image-meta corpus fuzz/corpus/validate_bytes --count 500 --seed 1";

/// The update commands' usage lines.
// The first line keeps its indentation: no `\` line continuation (which would eat it).
pub const UPDATE_USAGE: &str =
    "       ims-image-meta patch --image IMAGE.json [--media-type TYPE] [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L] [FILE]
       ims-image-meta tag add|remove TAG --image IMAGE.json [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L]";

/// The update commands' help.
pub const UPDATE_HELP: &str = "\
Updates (docs/contract.md, section 9):
  patch       apply the patch document FILE (stdin when there is none, or `-`) to the
              image IMAGE.json, as `PATCH /v2/images/{id}` does: every operation
              judged by create's rule for its key, under the same --profile / --rules
  tag add     add TAG to the image (`PUT /v2/images/{id}/tags/{tag}`)
  tag remove  remove TAG from the image (`DELETE /v2/images/{id}/tags/{tag}`)
  Their options:
  --image IMAGE.json        the image as it is now: a record as `ims-image-meta`
                            prints it, or as the service answers (required)
  --media-type TYPE         the patch's Content-Type (default:
                            application/openstack-images-v2.1-json-patch; also
                            application/openstack-images-v2.0-json-patch)
  --now UNIX_SECONDS        the time of the update, written as updated_at (default:
                            the current time)
  --profile, --rules, --format, --lang   as above
  Output: the updated image (JSON) on stdout, exit 0; a refusal: the report on
  stdout, exit 1 (statuses 400, 403, 404, 409, 413, 415); a bad IMAGE.json, FILE or
  usage: the reason on stderr, exit 2.
  ims-image-meta patch --image image.json patch.json
  echo '[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"web\"}]' | ims-image-meta patch --image image.json
  ims-image-meta tag add web --image image.json --now 1464854400";

/// `corpus --help`.
pub const CORPUS: &str = "\
usage: ims-image-meta corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]
  write N bodies (default 1000, at most 100000) made by the crate's kit from seed S
  (default 0) under the rule set, with the verdict each must get: DIR/00000.json, ...,
  DIR/manifest.jsonl and DIR/ims.dict (see `ims-image-meta --help`). Exit 0, or 2 on
  bad usage or an unwritable DIR.";

/// `patch --help`.
pub const PATCH: &str = "\
usage: ims-image-meta patch --image IMAGE.json [--media-type TYPE] [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L] [FILE]
  apply the patch document FILE (stdin when there is none, or `-`) to the image
  IMAGE.json, as `PATCH /v2/images/{id}` does: every operation judged by create's rule
  for its key. Options may come before or after FILE; `--` ends them.
  --image IMAGE.json        the image as it is now (required)
  --media-type TYPE         the patch's Content-Type (default:
                            application/openstack-images-v2.1-json-patch)
  --now UNIX_SECONDS        the time of the update, written as updated_at
  --profile, --rules, --format, --lang   as for create (see `ims-image-meta --help`)
  Exit 0 updated (the image on stdout), 1 refused (the report), 2 bad usage or file.";

/// `tag --help`.
pub const TAG: &str = "\
usage: ims-image-meta tag add|remove TAG --image IMAGE.json [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L]
  add TAG to the image IMAGE.json (`PUT /v2/images/{id}/tags/{tag}`) or remove it
  (`DELETE`). Options may come before or after TAG; `--` ends them, so a TAG that
  starts with `-` is given after it: `tag add --image IMAGE.json -- -x`.
  --image IMAGE.json        the image as it is now (required)
  --now UNIX_SECONDS        the time of the update, written as updated_at
  --profile, --rules, --format, --lang   as for create (see `ims-image-meta --help`)
  Exit 0 updated (the image on stdout), 1 refused (the report), 2 bad usage or file.";
