// The playground: edit a body, see the core's verdict live. Presentation only: the
// verdict, the pointers, the record and the problem object all come from the module.
import { derive } from '../js/index.js';
import { locate, parse } from './locate.js';

// The conformance files' context, so that a record here equals the tests' records.
const CONTEXT = {
  imageId: '4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86',
  owner: 'b912fb4a4c464b568ecfca1071b21b10',
  now: 1464853788,
};
// examples/sample-request.json
const SAMPLE = `{
    "__os_version": "Ubuntu 14.04 server 64bit",
    "container_format": "bare",
    "disk_format": "vhd",
    "min_disk": 40,
    "min_ram": 1024,
    "name": "test",
    "tags": [
        "test",
        "image"
    ],
    "visibility": "private",
    "protected": false,
    "aaaa":"11111"
}
`;
const REASONS = { 201: 'Created', 400: 'Bad Request', 403: 'Forbidden', 413: 'Content Too Large' };

const $ = (id) => document.getElementById(id);
const body = $('body');
const backdrop = $('backdrop');

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** The text with <mark>s over the ranges (overlaps merged into one mark per segment). */
function paint(text, ranges) {
  const cuts = new Set([0, text.length]);
  for (const r of ranges) cuts.add(r.start).add(r.end);
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const covering = ranges.filter((r) => r.start <= s && e <= r.end);
    const piece = text.slice(s, e);
    if (covering.length) {
      out.push(el('mark', { textContent: piece, className: covering.map((r) => `v${r.index}`).join(' ') }));
    } else {
      out.push(piece);
    }
  }
  // A trailing newline needs a character after it to take up its line.
  out.push('\u200b');
  backdrop.replaceChildren(...out);
}

function select(range, index) {
  body.focus();
  body.setSelectionRange(range.start, range.end);
  for (const m of backdrop.querySelectorAll('mark')) m.classList.toggle('active', m.classList.contains(`v${index}`));
}

function render() {
  const text = body.value;
  const options = { ...CONTEXT, profile: $('profile').value, locale: $('locale').value };
  const verdict = $('verdict');
  const list = $('violations');
  const warnings = $('warnings');
  list.replaceChildren();
  warnings.replaceChildren();
  let out;
  try {
    out = derive(text, options);
  } catch (e) {
    // Options this core cannot honour yet (a profile, a language): not a verdict.
    verdict.dataset.ok = 'error';
    verdict.dataset.status = '';
    verdict.textContent = `Invalid option: ${e.message}`;
    $('output-title').textContent = 'Output';
    $('output').textContent = '';
    paint(text, []);
    return;
  }
  verdict.dataset.ok = String(out.ok);
  if (out.ok) {
    verdict.dataset.status = '201';
    verdict.textContent = '201 Created — accepted';
    for (const w of out.warnings) {
      warnings.append(el('li', {}, el('code', { textContent: w.pointer }), ` ${w.message}`));
    }
    $('output-title').textContent = 'Record (the 201 body)';
    $('output').textContent = JSON.stringify(out.record, null, 2);
    paint(text, []);
    return;
  }
  const n = out.violations.length;
  verdict.dataset.status = String(out.status);
  verdict.textContent = `${out.status} ${REASONS[out.status] ?? ''} — ${n} violation${n === 1 ? '' : 's'}`;
  const tree = parse(text);
  const ranges = [];
  out.violations.forEach((v, index) => {
    const found = locate(text, v.pointer, tree);
    for (const r of found) ranges.push({ ...r, index });
    const item = el(
      'li',
      { title: v.ims_code ? `IMS code ${v.ims_code}` : '' },
      el('code', { textContent: v.pointer === '' ? '(body)' : v.pointer }),
      ' ',
      el('span', { className: 'code', textContent: v.code }),
      ` ${v.message}`,
    );
    item.dataset.pointer = v.pointer;
    item.dataset.code = v.code;
    item.dataset.found = String(found.length);
    if (found.length) item.addEventListener('click', () => select(found[0], index));
    list.append(item);
  });
  $('output-title').textContent = 'Problem (application/problem+json)';
  $('output').textContent = JSON.stringify(out.problem, null, 2);
  paint(text, ranges);
}

body.addEventListener('input', render);
body.addEventListener('scroll', () => {
  backdrop.scrollTop = body.scrollTop;
  backdrop.scrollLeft = body.scrollLeft;
});
$('profile').addEventListener('change', render);
$('locale').addEventListener('change', render);
$('sample').addEventListener('click', () => {
  body.value = SAMPLE;
  render();
});
$('ctx-id').textContent = CONTEXT.imageId;
$('ctx-owner').textContent = CONTEXT.owner;
$('ctx-now').textContent = new Date(CONTEXT.now * 1000).toISOString();

body.value = SAMPLE;
render();
$('state').textContent = 'core loaded (WebAssembly)';
$('state').dataset.ready = '1';
