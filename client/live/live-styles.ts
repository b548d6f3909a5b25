import { css } from 'lit';

/**
 * Styles of the live screens on top of baseStyles. The phone is held by members aged 25 to 70 in a
 * meeting room: large type, one task per screen, full-width targets of at least 48 px, nothing
 * wider than 360 px. The wall is read from the back of a room.
 */
export const phoneStyles = css`
  :host { font-size: 1.1rem; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.2rem; margin: 1rem 0 0.5rem; }
  .task { padding: 1rem; max-width: 640px; margin: 0 auto; }
  .note { display: flex; gap: 0.5rem; align-items: flex-start; padding: 0.6rem 0.75rem; border-radius: 8px; background: #eef4ff; color: #0a3069; font-size: 1rem; margin: 0.75rem 0; }
  .note.named { background: #fff8c5; color: #5c3b00; }
  .hint { font-size: 0.95rem; color: var(--mj-muted); margin: 0.35rem 0; }
  .choices { display: grid; gap: 0.5rem; }
  .choices.scale { grid-template-columns: repeat(5, 1fr); }
  .choices.grades { grid-template-columns: repeat(4, 1fr); gap: 0.35rem; }
  /* Native radios and checkboxes, drawn as large buttons: arrow keys and screen readers work as usual. */
  .opt { position: relative; display: block; margin: 0; font-weight: normal; }
  .opt input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
  .opt span {
    display: flex; align-items: center; justify-content: center; text-align: center;
    min-height: 52px; padding: 0.35rem 0.4rem; border: 2px solid var(--mj-line); border-radius: 10px;
    background: #fff; font-size: 1.1rem; cursor: pointer; line-height: 1.25;
  }
  .choices.grades .opt span { font-size: 0.95rem; padding: 0.25rem 0.1rem; min-height: 48px; }
  .choices.list .opt span { justify-content: flex-start; text-align: left; padding: 0.5rem 0.9rem; }
  .opt input:checked + span { background: var(--mj-red); border-color: var(--mj-red); color: #fff; font-weight: 700; }
  .opt input:focus-visible + span { outline: 3px solid var(--mj-focus); outline-offset: 2px; }
  .opt input:disabled + span { opacity: 0.6; cursor: not-allowed; }
  button.big { width: 100%; min-height: 56px; font-size: 1.15rem; margin-top: 1rem; }
  fieldset { border: none; padding: 0; margin: 0 0 1.25rem; }
  legend { font-weight: 600; margin-bottom: 0.5rem; padding: 0; }
  .scale-ends { display: flex; justify-content: space-between; font-size: 0.85rem; color: var(--mj-muted); margin-top: 0.2rem; }
  .done { text-align: center; padding: 1.5rem 1rem; }
  .done .tick { font-size: 3rem; color: var(--mj-ok); line-height: 1; }
  .done .tick.pending { color: var(--mj-warn); }
  .receipt { font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: 1.3rem; letter-spacing: 0.05em; font-weight: 700; }
  .counted { color: var(--mj-ok); font-weight: 600; }
  .missing { color: var(--mj-danger); font-weight: 600; }
  .sticky-bar { position: sticky; bottom: 0; background: var(--mj-bg); padding: 0.5rem 0 0.75rem; border-top: 1px solid var(--mj-line); }
`;
