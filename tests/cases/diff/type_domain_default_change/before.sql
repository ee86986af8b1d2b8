create schema app;
create domain app.score as integer default 0;
create domain app.level as integer default 1;
