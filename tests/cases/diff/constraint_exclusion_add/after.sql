insert into app.bookings values (1, 1, '[2024-01-01, 2024-01-05)');
do $$ begin
  begin
    insert into app.bookings values (2, 1, '[2024-01-03, 2024-01-04)');
    raise exception 'overlap accepted';
  exception when exclusion_violation then null;
  end;
end $$;
