/**
 * The name of the officers' workbench: an admin (党委, 总支) is not a branch
 * secretary, so their entry says 管理工作台. One place for the home card and
 * the page's own title, so the two never disagree.
 */
export function workbenchTitle(isAdmin: boolean): string {
  return isAdmin ? '管理工作台' : '书记工作台'
}
