"""The page as a person sees it, for the scripts the flows run in it.

A web component's shadow root, and what the page slots into it, are part of the element that shows them: a
grid whose rows live in its shadow root and whose cells show text slotted in from the page is one table to a
person. The DOM's own `parentElement`, `querySelectorAll`, `contains` and `innerText` stop at a shadow root;
these do not. Each script that walks the page starts with `COMPOSED`.
"""

from __future__ import annotations

COMPOSED = r"""
const parentOf = e => e.assignedSlot || e.parentElement
  || (e.parentNode instanceof ShadowRoot ? e.parentNode.host : null);
const holds = (up, e) => { for (; e; e = parentOf(e)) if (e === up) return true; return false; };
const closestOf = (e, selector) => { for (; e; e = parentOf(e)) if (e.matches(selector)) return e; return null; };
const inside = root => {  // a document still loading has no body yet
  if (!root) return [];
  const found = new Set();
  const visit = e => {
    if (found.has(e)) return;
    found.add(e);
    if (e.shadowRoot) walk(e.shadowRoot);
    if (e.tagName === 'SLOT') e.assignedElements({flatten: true}).forEach(a => { visit(a); walk(a); });
  };
  const walk = r => r.querySelectorAll('*').forEach(visit);
  if (root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return [...found];
};
const childrenOf = e => (e.shadowRoot ? [...e.shadowRoot.children]
  : e.tagName === 'SLOT' ? e.assignedElements({flatten: true}) : [...e.children]);
const BLOCK = /^(block|flex|grid|table|table-row|table-caption|list-item|flow-root)/;
let composedPage;  // whether the page has a shadow root at all: where it has none, innerText is the text shown
const shownText = el => {
  if (!el) return '';
  composedPage ??= inside(document.body).some(e => e.shadowRoot);
  if (!composedPage || (!el.shadowRoot && !el.querySelector('slot') && !inside(el).some(e => e.shadowRoot))) {
    return el.innerText;
  }
  const out = [];
  const walk = n => {
    if (n.nodeType === 3) { out.push(n.textContent.replace(/\s+/g, ' ')); return; }
    if (n.nodeType === 11) { n.childNodes.forEach(walk); return; }
    if (n.nodeType !== 1 || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(n.tagName)) return;
    if (n.tagName === 'BR') { out.push('\n'); return; }
    const style = getComputedStyle(n);
    if (style.display === 'none') return;
    const block = BLOCK.test(style.display);
    if (block) out.push('\n');
    const slotted = n.tagName === 'SLOT' ? n.assignedNodes({flatten: true}) : [];
    (n.shadowRoot ? [n.shadowRoot] : slotted.length ? slotted : [...n.childNodes]).forEach(walk);
    if (block) out.push('\n');
  };
  walk(el);
  return out.join('').split('\n').map(line => line.trim()).filter(Boolean).join('\n');
};
"""
