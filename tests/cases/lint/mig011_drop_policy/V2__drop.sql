drop policy p on t;
