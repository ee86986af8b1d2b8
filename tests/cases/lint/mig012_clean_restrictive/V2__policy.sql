create policy q on t as restrictive using (x > 0);
