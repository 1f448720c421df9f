// Typings of XS's global trace() (Moddable's console output): each argument as text to
// the program's text route (on the main firmware a `log` record); one counted text call
// per argument (board_io, firmware/include/board.h).
declare function trace(...values: unknown[]): void;
