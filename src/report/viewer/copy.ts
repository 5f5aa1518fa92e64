import { el } from './dom.ts';

/**
 * The replay command with a button that copies it. The clipboard API may be
 * missing or refused (a page opened from disk is not always a secure
 * context, and permission can be denied), so it falls back to a selected
 * textarea and `execCommand('copy')`, and failing that selects the command
 * for the reader to copy by hand. Nothing here may throw: a copy that did
 * not happen is said on the button's status, never left to the console.
 */
export function replayBox(command: string): HTMLElement {
  const code = el('code', { id: 'replay-command' }, command);
  const status = el('span', { className: 'copy-status', id: 'copy-status' });
  status.setAttribute('role', 'status');
  const button = el('button', { id: 'copy-replay', title: 'Copy the replay command' }, 'Copy');
  button.type = 'button';
  button.addEventListener('click', () => {
    void copy(command).then((done) => {
      if (done) status.textContent = 'Copied.';
      else {
        selectText(code);
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    });
  });
  return el('div', { className: 'replay' }, el('span', { className: 'replay-label' }, 'Replay:'), code, button, status);
}

async function copy(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused or unavailable: the fallback below.
  }
  return copyWithTextarea(text);
}

function copyWithTextarea(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  try {
    area.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

function selectText(node: Node): void {
  try {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  } catch {
    // Nothing more to do: the command is on screen to copy by hand.
  }
}
