"""Page objects of the two portals (Cortado, Apple Business Manager): they find things as a person does and
decide nothing; the robot (robot/) decides what to do with what they find."""
