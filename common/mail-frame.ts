/**
 * The one script the original-email frame may run: it tells the app how tall the mail is, so the
 * frame can fit it. Both the frame's own policy and the app page's (which a srcdoc frame inherits)
 * allow exactly this text by its hash; the mail's own markup can run nothing.
 */
export const mailFrameHeightScript =
  "new ResizeObserver(function(){parent.postMessage({mailFrameHeight:Math.ceil(document.documentElement.getBoundingClientRect().height)},'*')}).observe(document.documentElement)";

/** sha256 of mailFrameHeightScript, base64 (checked by server/src/web.test.ts). */
export const mailFrameHeightScriptHash = 'sha256-Qpk1qUcu1lVl7i7fBqbRKtQFv/lD5ItGDer5hwvcd+E=';
