/** Who acted: the owner, someone with the controller link, or the room itself (its alarm). */
const words: Record<string, string> = {
  owner: 'Owner',
  controller: 'Controller',
  system: 'Automatic',
  viewer: 'Viewer',
};

export function RoleChip({ role, testid }: { role: string; testid?: string }) {
  return (
    <span class={`ctl-role ctl-role--${role}`} data-testid={testid} data-role={role}>
      {words[role] ?? role}
    </span>
  );
}
