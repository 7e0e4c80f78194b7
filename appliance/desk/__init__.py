"""The "办不成事" desk (办不成事反映窗口, R-P1): problems registered, settled, referred or passed on."""
