import type { OrganizationSummary } from '../../shared/schemas/organizations.ts';

export interface OrgNode extends OrganizationSummary {
  children: OrgNode[];
}

/** Arranges the flat list from GET /api/organizations into trees (one per visible root). */
export function buildOrgTree(list: readonly OrganizationSummary[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>(list.map((o) => [o.id, { ...o, children: [] }]));
  const roots: OrgNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
