"""The public postal service (VNPost): results sent to applicants and paper dossiers collected, with tracking."""
