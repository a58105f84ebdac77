"""Where rows are counted: the choice between pandas and an engine, Ibis counting expressions, DuckDB sources, and the dispatcher every reader goes through."""
