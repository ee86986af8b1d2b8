create policy q on t using (true);
