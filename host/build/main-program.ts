// The firmware program that `run`, `build` and `npm start` use by default.
export const MAIN_PROGRAM = 'banner';
