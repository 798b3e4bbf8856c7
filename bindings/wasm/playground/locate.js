// JSON Pointer -> character ranges in a JSON text, for highlighting. Presentation only:
// the verdict and its pointers come from the core; this only finds where a pointer's
// member or element is spelled in the text the user typed. Tolerant: a text that stops
// early or breaks somewhere still yields ranges for what came before.

/** Tokens: {t: '{' '}' '[' ']' ':' ',' 'str' 'lit' 'bad', s: start, e: end, v?: string}. */
export function tokenize(text) {
  const out = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if ('{}[]:,'.includes(c)) {
      out.push({ t: c, s: i, e: i + 1 });
      i++;
    } else if (c === '"') {
      const s = i++;
      let v = '';
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === '"') {
          i++;
          closed = true;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const esc = text[i + 1];
          if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            v += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            v += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[esc] ?? esc;
            i += 2;
          }
        } else {
          v += d;
          i++;
        }
      }
      out.push({ t: closed ? 'str' : 'bad', s, e: i, v });
    } else {
      // A number, true/false/null, or junk: up to the next delimiter.
      const s = i;
      while (i < n && !' \t\n\r{}[]:,"'.includes(text[i])) i++;
      out.push({ t: 'lit', s, e: i });
    }
  }
  return out;
}

/**
 * A tree of values with their ranges: {kind: 'object', s, e, members: [{key, ks, ke, value}]},
 * {kind: 'array', s, e, items: [value]} or {kind: 'scalar', s, e}; null for no value.
 */
export function parse(text) {
  const toks = tokenize(text);
  let k = 0;
  function value() {
    const tok = toks[k];
    if (!tok) return null;
    if (tok.t === '{') {
      k++;
      const node = { kind: 'object', s: tok.s, e: text.length, members: [] };
      while (toks[k] && toks[k].t !== '}') {
        const key = toks[k];
        if (key.t === ',') {
          k++;
          continue;
        }
        if (key.t !== 'str') return node; // broken: keep what we have
        k++;
        const member = { key: key.v, ks: key.s, ke: key.e, value: null };
        node.members.push(member);
        if (!toks[k] || toks[k].t !== ':') return node;
        k++;
        member.value = value();
        if (!member.value) return node;
      }
      if (toks[k]) node.e = toks[k++].e;
      return node;
    }
    if (tok.t === '[') {
      k++;
      const node = { kind: 'array', s: tok.s, e: text.length, items: [] };
      while (toks[k] && toks[k].t !== ']') {
        if (toks[k].t === ',') {
          k++;
          continue;
        }
        const item = value();
        if (!item) return node;
        node.items.push(item);
      }
      if (toks[k]) node.e = toks[k++].e;
      return node;
    }
    if (tok.t === 'str' || tok.t === 'lit' || tok.t === 'bad') {
      k++;
      return { kind: 'scalar', s: tok.s, e: tok.e };
    }
    return null; // a stray '}' ']' ':' ','
  }

  return value();
}

/** The reference tokens of an RFC 6901 pointer ("" is the whole document). */
export function tokens(pointer) {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Every range [start, end) that `pointer` names in `text`: a member from the start of
 * its key to the end of its value, an array element, or the whole document for "".
 * A repeated key gives one range per occurrence. Empty when it names nothing there.
 */
export function locate(text, pointer, root = parse(text)) {
  const path = tokens(pointer);
  if (!path || !root) return [];
  let here = [{ node: root, s: root.s, e: root.e }];
  for (const token of path) {
    const next = [];
    for (const { node } of here) {
      if (!node) continue;
      if (node.kind === 'object') {
        for (const m of node.members) {
          if (m.key === token) next.push({ node: m.value, s: m.ks, e: m.value ? m.value.e : m.ke });
        }
      } else if (node.kind === 'array' && /^(0|[1-9][0-9]*)$/.test(token)) {
        const item = node.items[Number(token)];
        if (item) next.push({ node: item, s: item.s, e: item.e });
      }
    }
    here = next;
  }
  return here.map(({ s, e }) => ({ start: s, end: e }));
}
