import sanitizeHtml from 'sanitize-html';

const allowedTags = [
  'a', 'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt',
  'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];

/**
 * A strict allow-list: no script, style sheet, form, frame or event handler survives. Remote images
 * keep their address in data-remote-src and load only when the agent agrees; cid: images stay, to
 * be pointed at the stored attachment.
 */
export function sanitizeEmailHtml(html: string): { html: string; remoteImages: number } {
  let remoteImages = 0;
  const clean = sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: {
      '*': ['dir', 'lang', 'title', 'align'],
      a: ['href', 'name', 'rel', 'target'],
      // data-remote-src is set by the img transform below; a sender's own is dropped there.
      img: ['src', 'alt', 'width', 'height', 'data-remote-src'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      font: ['color'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'iframe', 'object', 'embed'],
    transformTags: {
      a: (tagName, attribs) => {
        // Only links that leave the desk: a relative one would point at the desk's own pages and API.
        const { href, ...rest } = attribs;
        const leaves = href !== undefined && /^\s*(https?:|mailto:|tel:)/i.test(href);
        return { tagName, attribs: { ...rest, ...(leaves ? { href } : {}), rel: 'noopener noreferrer nofollow', target: '_blank' } };
      },
      img: (tagName, { 'data-remote-src': _sent, ...attribs }) => {
        const src = (attribs.src ?? '').trim();
        if (/^(https?:)?\/\//i.test(src)) {
          remoteImages++;
          const { src: _drop, ...rest } = attribs;
          return { tagName, attribs: { ...rest, 'data-remote-src': src } };
        }
        // Relative addresses would load from the desk itself; only cid: and inline images stay.
        if (!/^cid:/i.test(src) && !/^data:image\/(png|gif|jpe?g|webp);/i.test(src)) {
          const { src: _drop, ...rest } = attribs;
          return { tagName, attribs: rest };
        }
        return { tagName, attribs };
      },
    },
  });
  return { html: clean, remoteImages };
}

/** Plain words of an HTML body, paragraphs kept, for mail that has no text part. */
export function htmlText(html: string): string {
  const spaced = html.replace(/<\/(p|div|h[1-6]|li|tr|blockquote)>|<br\s*\/?>/gi, '$&\n');
  const text = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {}, nonTextTags: ['script', 'style', 'head', 'title', 'noscript'] });
  return text.replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\n{3,}/g, '\n\n').trim();
}

const voidTags = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** How deep the tags nest, counted in one pass over the text (no parsing). */
export function nestingDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !voidTags.has(m[2].toLowerCase())) deepest = Math.max(deepest, ++depth);
  }
  return deepest;
}
