"""Archives (归档, 一事一档, R-A1–R-A3): one archive information package per finished case."""
