-- The home page counts captures by when they started: today's per station, and each of the last days.
-- Until now captures were reached only through their order (captures_order); a range of start times
-- walked the whole table. With the station beside the time, both counts read the index alone.
CREATE INDEX captures_started_station ON captures (started_at, station);
