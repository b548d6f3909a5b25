export interface EvidenceItem {
  description: string;
  /** An attachment id or an external link. */
  link?: string;
  addedAt: string;
}
