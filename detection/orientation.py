def orientation_needs(description):
    return []
