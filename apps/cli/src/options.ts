/** A repeatable option (`--label a --label b`) taken as the list of its values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
