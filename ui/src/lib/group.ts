/** Items grouped by a key, groups in the order their first item came (keys compared with ===). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): [K, T[]][] {
  const groups: [K, T[]][] = [];
  for (const item of items) {
    const k = key(item);
    const group = groups.find(([g]) => g === k);
    if (group) group[1].push(item);
    else groups.push([k, [item]]);
  }
  return groups;
}
