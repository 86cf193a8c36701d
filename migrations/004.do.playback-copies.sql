-- Playback copies of videos (MP4 that every browser plays), made after the thumbnail, slowly, one at a time.
ALTER TABLE media ADD COLUMN playback_status TEXT CHECK (playback_status IN ('pending', 'ready', 'failed'));
ALTER TABLE media ADD COLUMN playback_error TEXT;
UPDATE media SET playback_status = 'pending' WHERE type = 'video';
CREATE INDEX media_playback_pending ON media (playback_status) WHERE playback_status = 'pending';
