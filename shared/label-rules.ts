// What a label's name may be: the core refuses the rest, the label form stops typing at the same length.
export const LABEL_NAME_MAX = 40
