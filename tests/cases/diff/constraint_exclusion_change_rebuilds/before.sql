create schema app;
create table app.bookings (id int primary key, room int not null, during tsrange not null,
  constraint no_double_booking exclude using gist (during with &&));
