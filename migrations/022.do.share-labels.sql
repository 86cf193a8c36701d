-- What a share link is for when a service made it rather than the seller ("packet for stripe": the link a
-- recipient packet carries to the full originals), so the dashboard's list of links can say so.
ALTER TABLE shares ADD COLUMN label TEXT;
