import { Button, Center, Group, Loader, Text } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mailFrameHeightScript, mailFrameHeightScriptHash } from '../../../../common/mail-frame';
import type { Attachment } from '../../app/types';
import { useFormat } from '../../i18n/format';

/** Inline images are copied into the frame; past these sizes one shows as a link instead, so a huge image cannot stall the page. */
export const inlineLimits = { imageBytes: 3 * 1024 * 1024, totalBytes: 10 * 1024 * 1024 };
/** The frame grows with the mail between these heights, then scrolls. */
const frameHeights = { min: 120, max: 1200, initial: 360 };

// What inbound processing writes for a cid: image (server/src/modules/email/inbound-process.ts).
const attachmentSrc = /^\/api\/v1\/attachments\/([0-9a-f-]{36})$/i;

/** Data addresses by attachment id, and the sizes of those left out. */
type InlineImages = { images: Map<string, string>; tooLarge: Map<string, number> };

/** The attachment ids the mail's images point at, each once. */
function inlineIds(html: string): string[] {
  const ids = new Set<string>();
  for (const m of html.matchAll(/src="\/api\/v1\/attachments\/([0-9a-f-]{36})"/gi)) ids.add(m[1]);
  return [...ids];
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * The frame has no origin and so no session: the app fetches the mail's inline images and hands them
 * over as data: addresses. Sizes come from the thread's attachment list; an image over the
 * limits is not fetched at all. One that fails or is not an image keeps only its alt text.
 */
async function loadInlineImages(ids: string[], sizes: Map<string, number>): Promise<InlineImages> {
  const tooLarge = new Map<string, number>();
  const wanted: string[] = [];
  let total = 0;
  for (const id of ids) {
    const size = sizes.get(id) ?? 0;
    if (size > inlineLimits.imageBytes || total + size > inlineLimits.totalBytes) tooLarge.set(id, size);
    else {
      wanted.push(id);
      total += size;
    }
  }
  const images = new Map<string, string>();
  await Promise.all(
    wanted.map(async (id) => {
      try {
        const res = await fetch(`/api/v1/attachments/${id}`, { credentials: 'same-origin' });
        if (!res.ok) return;
        // A size the list did not know is checked before the bytes are read.
        const length = Number(res.headers.get('content-length') ?? 0);
        if (length > inlineLimits.imageBytes) {
          tooLarge.set(id, length);
          await res.body?.cancel();
          return;
        }
        const blob = await res.blob();
        if (blob.size > inlineLimits.imageBytes) tooLarge.set(id, blob.size);
        else if (/^image\//i.test(blob.type)) images.set(id, await dataUrlOf(blob));
      } catch {
        // Shown by its alt text.
      }
    }),
  );
  return { images, tooLarge };
}

// The frame's own policy: nothing from elsewhere until the agent allows images (and then images only),
// and no script but the height report. It narrows the app's policy, which the srcdoc document inherits as well.
const framePolicy = (remote: boolean) =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src data:${remote ? ' https: http:' : ''}; script-src '${mailFrameHeightScriptHash}'`;

/**
 * The sanitised HTML made ready for the frame (in an inert DOMParser document, where nothing loads):
 * inline images as data: addresses or a link when too large, remote images only when the agent asked,
 * and every link opening a new tab with neither opener nor referrer.
 */
function frameDocument(html: string, remote: boolean, inline: InlineImages, tooLargeLabel: (id: string, size: number) => string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const img of doc.querySelectorAll('img')) {
    const id = attachmentSrc.exec(img.getAttribute('src') ?? '')?.[1];
    const tooLarge = id === undefined ? undefined : inline.tooLarge.get(id);
    if (id && tooLarge !== undefined) {
      const link = doc.createElement('a');
      link.href = `${location.origin}/api/v1/attachments/${id}`;
      link.textContent = tooLargeLabel(id, tooLarge);
      link.setAttribute('data-too-large', 'true');
      img.replaceWith(link);
    } else if (id) {
      const data = inline.images.get(id);
      if (data) img.setAttribute('src', data);
      else img.removeAttribute('src');
    }
  }
  if (remote) {
    for (const img of doc.querySelectorAll('img[data-remote-src]')) {
      img.setAttribute('src', img.getAttribute('data-remote-src') ?? '');
      img.removeAttribute('data-remote-src');
    }
  }
  for (const a of doc.querySelectorAll('a')) {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${framePolicy(remote)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<base target="_blank">',
    '<style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>',
    `<script>${mailFrameHeightScript}</script>`,
  ].join('');
  return `<!doctype html><html><head>${head}</head><body dir="auto">${doc.body.innerHTML}</body></html>`;
}

/**
 * The email as sent, in a frame with no origin, whose only script reports its height; inline images
 * are copied in, remote images wait for a click, links open in a new tab outside the sandbox.
 */
export function OriginalMail({ html, remoteImages, attachments }: { html: string; remoteImages: number; attachments: Attachment[] }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [remote, setRemote] = useState(false);
  const [height, setHeight] = useState(frameHeights.initial);
  const frame = useRef<HTMLIFrameElement>(null);
  const ids = useMemo(() => inlineIds(html), [html]);
  const inline = useQuery({
    queryKey: ['mail-inline-images', ids],
    queryFn: () => loadInlineImages(ids, new Map(attachments.map((a) => [a.id, a.size]))),
    enabled: ids.length > 0,
    staleTime: Infinity,
  });
  const ready = ids.length === 0 || !inline.isPending;
  const srcDoc = useMemo(() => {
    if (!ready) return '';
    const names = new Map(attachments.map((a) => [a.id, a.filename]));
    const label = (id: string, size: number) => t('mail.imageTooLarge', { name: names.get(id) ?? id, size: fmt.fileSize(size) });
    return frameDocument(html, remote, inline.data ?? { images: new Map(), tooLarge: new Map() }, label);
    // fmt is new on every render; the language is what the label follows.
  }, [ready, html, remote, inline.data, attachments, i18n.language]);

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (!frame.current || e.source !== frame.current.contentWindow) return;
      const h = (e.data as { mailFrameHeight?: unknown } | null)?.mailFrameHeight;
      // The 2 px are the frame's border.
      if (typeof h === 'number' && Number.isFinite(h)) setHeight(Math.min(frameHeights.max, Math.max(frameHeights.min, h + 2)));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  return (
    <div data-testid="original-mail">
      {remoteImages > 0 && !remote && (
        <Group gap="xs" mt={4}>
          <Text size="xs" c="dimmed">
            {t('mail.remoteBlocked')}
          </Text>
          <Button variant="light" size="compact-xs" leftSection={<IconPhoto size={14} />} onClick={() => setRemote(true)} data-testid="load-remote-images">
            {t('mail.loadRemote', { n: fmt.number(remoteImages) })}
          </Button>
        </Group>
      )}
      {ready ? (
        <iframe
          ref={frame}
          title={t('mail.originalTitle')}
          sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={srcDoc}
          data-remote={remote ? 'true' : 'false'}
          style={{ display: 'block', width: '100%', height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, marginTop: 4, background: 'white' }}
        />
      ) : (
        <Center h={frameHeights.min}>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
    </div>
  );
}
