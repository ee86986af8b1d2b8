create temporary table scratch (x int);
