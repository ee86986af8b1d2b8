create schema app;
create domain app.email as text;
