/** Minutes after midnight of an `HH:MM` string (`24:00` gives 1440); `NaN` when it is not one. */
export const minutesOf = (time: string): number =>
  typeof time === "string" && /^\d{2}:\d{2}$/.test(time) ? Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) : Number.NaN
