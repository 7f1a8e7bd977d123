"""The discovery sources, one module each; `base.Source` is what the runner needs from them."""
