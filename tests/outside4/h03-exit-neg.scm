(exit -1)
