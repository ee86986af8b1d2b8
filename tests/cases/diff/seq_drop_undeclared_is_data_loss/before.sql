create schema app;
create sequence app.ticket_numbers;
create table app.notes (id int primary key);
