/** "1 entry", "2 entries": a count and its noun for people to read (the plural defaults to noun + "s"). */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
