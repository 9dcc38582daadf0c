"""The province's document-management system (quản lý văn bản và điều hành): results sent for the leader's signature."""
