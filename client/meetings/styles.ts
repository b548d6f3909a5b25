import { css } from 'lit';

/** What the meeting and minutes pages share: breadcrumbs, fact lists, form sections with repeatable items. */
export const meetingStyles = css`
  nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
  .card > h2:first-child { margin-top: 0; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0 0 1rem; }
  dl.facts dt { color: var(--mj-muted); }
  dl.facts dd { margin: 0; }
  @media (max-width: 600px) {
    dl.facts { grid-template-columns: 1fr; gap: 0; }
    dl.facts dd { margin-bottom: 0.5rem; }
  }
  fieldset { border: 1px solid var(--mj-line); border-radius: var(--mj-radius); background: #fff; padding: 0.75rem 1rem; margin: 0 0 1rem; min-width: 0; }
  legend { font-weight: 700; padding: 0 0.25rem; }
  .two { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
  .item { border-top: 1px dashed var(--mj-line); padding-top: 0.75rem; margin-top: 0.75rem; }
  .item:first-of-type { border-top: none; margin-top: 0; padding-top: 0; }
`;
