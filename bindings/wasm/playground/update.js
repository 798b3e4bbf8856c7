// The playground's update tab: an image, a patch document, and the core's verdict on
// the PATCH (SPEC section 8), live. Presentation only: the verdict, the updated image
// and the problem object all come from the module.
import { derive, patch } from '../js/index.js';

// The conformance files' time of the update (2016-06-02T08:00:00Z).
const NOW = 1464854400;
// The image the sample body derives (examples/sample-request.json, the tests' context).
const SAMPLE_BODY = `{"__os_version": "Ubuntu 14.04 server 64bit", "container_format": "bare",
  "disk_format": "vhd", "min_disk": 40, "min_ram": 1024, "name": "test",
  "tags": ["test", "image"], "visibility": "private", "protected": false, "aaaa": "11111"}`;
// The IMS page's example: rename, and add a custom property.
const SAMPLE_PATCH = `[
  {"op": "replace", "path": "/name", "value": "test01"},
  {"op": "add", "path": "/login-user", "value": "kvothe"}
]
`;
const REASONS = {
  200: 'OK', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type',
};

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function render() {
  const verdict = $('verdict');
  const list = $('violations');
  list.replaceChildren();
  const options = { now: NOW, mediaType: $('media').value, profile: $('profile').value, locale: $('locale').value };
  let out;
  try {
    out = patch($('image').value, $('patch').value, options);
  } catch (e) {
    // Not a verdict on the patch: the image is not a record, or an option is refused.
    verdict.dataset.ok = 'error';
    verdict.dataset.status = '';
    verdict.textContent = `Not an image: ${e.message}`;
    $('output-title').textContent = 'Output';
    $('output').textContent = '';
    return;
  }
  verdict.dataset.ok = String(out.ok);
  verdict.dataset.status = String(out.status);
  if (out.ok) {
    verdict.textContent = `${out.status} OK — applied`;
    $('output-title').textContent = 'Image (after)';
    $('output').textContent = JSON.stringify(out.image, null, 2);
    return;
  }
  const n = out.violations.length;
  verdict.textContent = `${out.status} ${REASONS[out.status] ?? ''} — ${n} violation${n === 1 ? '' : 's'}`;
  for (const v of out.violations) {
    const item = el(
      'li',
      { title: v.ims_code ? `IMS code ${v.ims_code}` : '' },
      el('code', { textContent: v.pointer === '' ? '(document)' : v.pointer }),
      ' ',
      el('span', { className: 'code', textContent: v.code }),
      ` ${v.message}`,
    );
    item.dataset.pointer = v.pointer;
    item.dataset.code = v.code;
    list.append(item);
  }
  $('output-title').textContent = 'Problem (application/problem+json)';
  $('output').textContent = JSON.stringify(out.problem, null, 2);
}

for (const id of ['image', 'patch']) $(id).addEventListener('input', render);
for (const id of ['profile', 'locale', 'media']) $(id).addEventListener('change', render);
$('ctx-now').textContent = new Date(NOW * 1000).toISOString();

const created = derive(SAMPLE_BODY, {
  imageId: '4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86',
  owner: 'b912fb4a4c464b568ecfca1071b21b10',
  now: 1464853788,
});
$('image').value = JSON.stringify(created.record, null, 2);
$('patch').value = SAMPLE_PATCH;
render();
$('state').textContent = 'core loaded (WebAssembly)';
$('state').dataset.ready = '1';
