-- A transfer is ended, never deleted: its row stays, with the day it ends (its history is in versions).
ALTER TABLE transfers ADD COLUMN ended_from DATE;
