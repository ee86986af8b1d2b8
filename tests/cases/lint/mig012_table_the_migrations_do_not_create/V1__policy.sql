create policy q on legacy using (true);
