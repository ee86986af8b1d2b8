create schema app;
create type app.address as (street text, city text);
