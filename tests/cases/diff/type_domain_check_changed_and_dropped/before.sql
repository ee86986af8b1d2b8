create schema app;
create domain app.email as text constraint email_has_at check (value ~ '@') constraint email_short check (length(value) < 100);
