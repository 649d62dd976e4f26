/**
 * The one script the original-email frame may run: it tells the app how tall the mail is, so the
 * frame can fit it. Both the frame's own policy and the app page's (which a srcdoc frame inherits)
 * allow exactly this text by its hash; the mail's own markup can run nothing.
 */
export const mailFrameHeightScript =
  // The content's height, plus a horizontal scrollbar's when a wide mail (a table) has one.
  "new ResizeObserver(function(){var d=document.documentElement;parent.postMessage({mailFrameHeight:Math.ceil(d.getBoundingClientRect().height)+Math.max(0,innerHeight-d.clientHeight)},'*')}).observe(document.documentElement)";

/** sha256 of mailFrameHeightScript, base64 (checked by server/src/web.test.ts). */
export const mailFrameHeightScriptHash = 'sha256-mT4ZqzxdFDC6rdOEQW3rG8Pqd/WGl76OSkaXNA56h4I=';
